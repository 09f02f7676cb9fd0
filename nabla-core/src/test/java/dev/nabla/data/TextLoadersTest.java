package dev.nabla.data;

import dev.nabla.text.Tokenizer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TextLoadersTest {

    @TempDir
    Path dir;

    private Path write(String relative, String text) throws IOException {
        Path f = dir.resolve(relative);
        Files.createDirectories(f.getParent());
        Files.writeString(f, text);
        return f;
    }

    private Path folder() throws IOException {
        write("reviews/pos/a.txt", "Great film");
        write("reviews/pos/more/b.txt", "\uFEFFLovely, fine");
        write("reviews/neg/c.txt", "Dull");
        write("reviews/neg/.hidden.txt", "skipped");
        write("reviews/neg/notes.md", "skipped");
        return dir.resolve("reviews");
    }

    @Test
    void folderOfClassFoldersGivesTextsLabelsAndSources() throws IOException {
        Path root = folder();
        assertEquals("text", DataSources.detect(root));
        TextSamples s = TextFolderLoader.load(root);
        assertEquals(List.of("neg", "pos"), s.preprocessing().classes());
        assertEquals("text", s.preprocessing().kind());
        assertEquals(List.of("Dull", "Great film", "Lovely, fine"), s.texts());
        assertArrayEquals(new int[]{0, 1, 1}, s.labels());
        assertTrue(s.sources().get(2).endsWith("b.txt"), s.sources().toString());

        Tokenizer t = Tokenizer.train(s.texts(), Tokenizer.Options.defaults().maxLength(4));
        LoadedData d = s.encode(t);
        assertArrayEquals(new int[]{3, 4}, d.x().shape());
        assertArrayEquals(new float[]{0, 1, 1}, d.y().toArray());
    }

    @Test
    void imageFoldersAreStillImages() throws IOException {
        write("pics/cat/1.png", "not decoded by detect");
        write("pics/dog/2.png", "x");
        assertEquals("image", DataSources.detect(dir.resolve("pics")));
    }

    @Test
    void textFolderErrorsNameTheProblem() throws IOException {
        Path root = folder();
        Path bad = root.resolve("pos/latin1.txt");
        Files.write(bad, "caf\u00e9".getBytes(StandardCharsets.ISO_8859_1));
        DataException e = assertThrows(DataException.class, () -> TextFolderLoader.load(root));
        assertTrue(e.getMessage().startsWith(bad.toString()) && e.getMessage().contains("not UTF-8"), e.getMessage());
        assertTrue(e.getMessage().contains("offset 3"), e.getMessage());

        Files.createDirectories(dir.resolve("one/only"));
        write("one/only/x.txt", "x");
        assertTrue(assertThrows(DataException.class, () -> TextFolderLoader.load(dir.resolve("one"))).getMessage().contains("only one class"));

        write("two/a/x.txt", "x");
        Files.createDirectories(dir.resolve("two/b"));
        DataException empty = assertThrows(DataException.class, () -> TextFolderLoader.load(dir.resolve("two")));
        assertTrue(empty.getMessage().contains("b") && empty.getMessage().contains("no .txt files"), empty.getMessage());

        Files.createDirectories(dir.resolve("nothing"));
        assertTrue(assertThrows(DataException.class, () -> DataSources.detect(dir.resolve("nothing"))).getMessage().contains("empty"));
        write("loose/x.txt", "x");
        assertTrue(assertThrows(DataException.class, () -> DataSources.detect(dir.resolve("loose"))).getMessage().contains("one folder per class"));
    }

    @Test
    void csvTextColumnWithQuotesOtherColumnsIgnored() throws IOException {
        Path csv = write("r.csv", "id,review,stars,label\n1,\"Good, really \"\"good\"\"\",5,1\n2,\"two\nlines\",1,0\n3,,3,1\n");
        TextSamples s = TextCsvLoader.load(csv, "review", null);
        assertEquals(List.of("Good, really \"good\"", "two\nlines", ""), s.texts());
        assertEquals(List.of("0", "1"), s.preprocessing().classes());
        assertArrayEquals(new int[]{1, 0, 1}, s.labels());
        assertEquals(List.of("review"), s.preprocessing().featureNames());
        assertEquals("label", s.preprocessing().labelName());
        assertEquals(List.of("row 1", "row 2", "row 3"), s.sources());
        // the label may be any other column; numbers as classes sort numerically
        assertEquals(List.of("1", "3", "5"), TextCsvLoader.load(csv, "review", "stars").preprocessing().classes());

        TextSamples again = DataSources.readTextsWith(csv, s.preprocessing(), false);
        assertNull(again.labels());
        assertEquals(s.texts(), again.texts());
    }

    @Test
    void csvErrorsNameTheColumnOrFile() throws IOException {
        Path csv = write("r.csv", "text,label\nhello,a\nbye,b\n");
        DataException missing = assertThrows(DataException.class, () -> TextCsvLoader.load(csv, "review", null));
        assertTrue(missing.getMessage().contains("no text column 'review' (columns: text, label)"), missing.getMessage());
        Path blank = write("blank.csv", "text,label\n,a\n  ,b\n");
        assertTrue(assertThrows(DataException.class, () -> TextCsvLoader.load(blank, "text", null)).getMessage()
                .contains("text column 'text' is empty in every row"));
        Path latin = dir.resolve("latin.csv");
        Files.write(latin, "text,label\ncaf\u00e9,a\n".getBytes(StandardCharsets.ISO_8859_1));
        DataException e = assertThrows(DataException.class, () -> TextCsvLoader.load(latin, "text", null));
        assertTrue(e.getMessage().startsWith(latin.toString()) && e.getMessage().contains("not UTF-8"), e.getMessage());
        assertTrue(assertThrows(DataException.class, () -> DataSources.loadTexts(csv, null, null)).getMessage().contains("--text-column"));

        TextSamples s = TextCsvLoader.load(csv, "text", null);
        Path unknown = write("u.csv", "text,label\nhi,c\n");
        assertTrue(assertThrows(DataException.class, () -> TextCsvLoader.loadWith(unknown, s.preprocessing(), true)).getMessage()
                .contains("does not know the class 'c'"));
    }
}
