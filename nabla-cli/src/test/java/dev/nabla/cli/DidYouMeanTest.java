package dev.nabla.cli;

import dev.nabla.io.Json;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static dev.nabla.cli.CliTestSupport.nabla;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Mistyped commands and options: one line naming the typo and the likely meant name, exit 2. */
class DidYouMeanTest {

    private static void assertLine(String expected, Object... args) {
        CliTestSupport.Run r = nabla(args);
        r.assertUsageError();
        assertEquals("error: " + expected, r.err().strip());
    }

    @Test
    void mistypedCommands() {
        assertLine("unknown command 'trian' for nabla; did you mean train? (see: nabla --help)", "trian");
        assertLine("unknown command 'evalute' for nabla; did you mean evaluate? (see: nabla --help)", "evalute", "--model", "m");
        assertLine("unknown command 'downlaod' for nabla datasets; did you mean download? (see: nabla datasets --help)",
                "datasets", "downlaod", "mnist");
        assertLine("unknown command 'frobnicate' for nabla (see: nabla --help)", "frobnicate");
    }

    @Test
    void mistypedOptions() {
        assertLine("unknown option '--epoch' for nabla train; did you mean --epochs? (see: nabla train --help)",
                "train", "--data", "x.csv", "--epoch", "3");
        assertLine("unknown option '--epoch' for nabla train; did you mean --epochs? (see: nabla train --help)",
                "train", "--data", "x.csv", "--epoch=3");
        assertLine("unknown option '--val' for nabla train; did you mean --val-split? (see: nabla train --help)",
                "train", "--data", "x.csv", "--val", "0.1");
        assertLine("unknown option '--zzzzzz' for nabla train (see: nabla train --help)", "train", "--data", "x.csv", "--zzzzzz");
        assertLine("unexpected argument 'extra' for nabla train (see: nabla train --help)", "train", "--data", "x.csv", "extra");
    }

    @Test
    void aTypoWinsOverTheRequiredOptionItHides() {
        // picocli alone says "Missing required option: '--model=FILE'"
        assertLine("unknown option '--modle' for nabla evaluate; did you mean --model? (see: nabla evaluate --help)",
                "evaluate", "--modle", "m.nabla", "--data", "d.csv");
        // an option's value that looks like an option is the value, not a typo
        assertLine("Missing required option: '--model=FILE' (see: nabla predict --help)", "predict", "--text", "-great-");
        assertLine("Missing required parameter for option '--data' (PATH) (see: nabla evaluate --help)", "evaluate", "--data");
    }

    @Test
    void jsonGetsTheSameLine() {
        CliTestSupport.Run r = nabla("train", "--data", "x.csv", "--epoch", "3", "--json");
        assertEquals(2, r.code());
        Map<String, Object> j = Json.asObject(Json.parse(r.out().strip()), "stdout");
        assertEquals(List.of("error", "exit"), List.copyOf(j.keySet()));
        assertTrue(((String) j.get("error")).startsWith("unknown option '--epoch' for nabla train; did you mean --epochs?"), j.toString());
    }

    @Test
    void closestNames() {
        assertEquals(1, Suggestions.distance("trian", "train"), "a swap is one edit");
        assertEquals(List.of("--epochs"), Suggestions.closest("--epoch", List.of("--epochs", "--seed", "--lr")));
        assertEquals(List.of("--la", "--lr"), Suggestions.closest("--lx", List.of("--lr", "--seed", "--la")), "ties: both");
        assertEquals("; did you mean --la or --lr?", Suggestions.didYouMean("--lx", List.of("--lr", "--la")));
        assertEquals(List.of(), Suggestions.closest("--banana", List.of("--epochs", "--seed", "--lr")));
        assertEquals("", Suggestions.didYouMean("qqq", List.of("train", "predict")));
    }
}
