package dev.nabla.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static dev.nabla.cli.CliTestSupport.nabla;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Control characters from data (an ANSI sequence in a class name, a file name) reach the terminal escaped. */
class ControlCharactersTest {

    private static final String RETITLE = "\u001b]0;pwned\u0007";

    @TempDir
    Path dir;

    @Test
    void classNamesAndMessagesAreEscaped() throws Exception {
        Path csv = CliTestSupport.classificationCsv(dir, "iris.csv", 30, 1, true);
        Files.writeString(csv, Files.readString(csv).replace("setosa", "setosa" + RETITLE));
        Path model = dir.resolve("m.nabla");
        CliTestSupport.Run train = nabla("train", "--data", csv, "--label", "species", "--epochs", 3, "--out", model);
        assertEquals(0, train.code(), train.err());
        assertNoControl(train.out() + train.err());

        Path rows = CliTestSupport.classificationCsv(dir, "rows.csv", 6, 2, false);
        CliTestSupport.Run predict = nabla("predict", "--model", model, rows);
        assertEquals(0, predict.code(), predict.err());
        assertNoControl(predict.out() + predict.err());
        assertTrue(predict.out().contains("setosa\\x1b]0;pwned\\x07"), predict.out());

        CliTestSupport.Run missing = nabla("predict", "--model", dir.resolve("no" + RETITLE + ".nabla"), rows);
        assertEquals(2, missing.code());
        assertNoControl(missing.out() + missing.err());
        assertTrue(missing.err().contains("no\\x1b]0;pwned\\x07.nabla"), missing.err());
    }

    private static void assertNoControl(String printed) {
        for (char c : printed.toCharArray()) {
            assertFalse(c < 0x20 && c != '\n' && c != '\t' || c == 0x7f, "a control character (" + (int) c + ") was printed: " + printed);
        }
    }
}
