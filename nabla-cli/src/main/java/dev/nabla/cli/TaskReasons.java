package dev.nabla.cli;

import dev.nabla.data.Preprocessing;
import dev.nabla.data.Task;

import java.nio.file.Path;

/**
 * Which task a training run does and why, said in the summary: forced by {@code --task} or by a loss that only fits
 * one task, kept from a continued model, or decided from the data (the table loader's reason).
 */
final class TaskReasons {

    private TaskReasons() {
    }

    /** The task {@code --task} and the loss force, null for none; a contradiction is a UsageException. */
    static Task forced(Task byFlag, Task byLoss, String loss) {
        if (byFlag != null && byLoss != null && byFlag != byLoss) {
            throw new UsageException("--task " + byFlag.id() + ": not with --loss " + Printable.of(loss) + ", which is a "
                    + byLoss.id() + " loss");
        }
        return byFlag != null ? byFlag : byLoss;
    }

    /** Why {@code p}'s task was chosen. */
    static String reason(Preprocessing p, Task byFlag, Task byLoss, String loss, Path continued) {
        if (continued != null) return "as " + continued + " was trained";
        if (byFlag != null) return "as --task " + byFlag.id() + " says";
        if (byLoss != null) return "as --loss " + loss + " needs";
        if (p.kind().equals("table") && p.taskReason() != null) {
            return p.taskReason();
        }
        return switch (p.kind()) {
            case "text" -> "texts with labels are classified";
            case "table" -> "from the labels";
            default -> "images in class folders are classified";
        };
    }
}
