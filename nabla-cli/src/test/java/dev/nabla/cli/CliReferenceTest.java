package dev.nabla.cli;

import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Model.OptionSpec;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * docs/cli.md and the README's command summary are what {@link CliReference} makes from the command definitions
 * (regenerate both with scripts/cli-reference), they cover every option, and the README's command-line section names
 * only options that exist.
 */
class CliReferenceTest {

    private static final String REGENERATE = " is out of date with the command definitions: run scripts/cli-reference"
            + " and commit docs/cli.md and README.md";

    /** The repository root: the tests run in the module folder (nabla-cli), or at the root. */
    static Path root() {
        Path here = Path.of("").toAbsolutePath();
        return Files.isDirectory(here.resolve("docs")) ? here : here.getParent();
    }

    @Test
    void docsCliMdIsGenerated() throws IOException {
        String committed = Files.readString(root().resolve(CliReference.DOC), StandardCharsets.UTF_8);
        assertEquals(CliReference.markdown(), committed, CliReference.DOC + REGENERATE);
    }

    @Test
    void readmeSummaryIsGenerated() throws IOException {
        String readme = Files.readString(root().resolve("README.md"), StandardCharsets.UTF_8);
        assertTrue(readme.contains(CliReference.summary()), "README.md's command summary" + REGENERATE);
        assertTrue(readme.contains("(docs/cli.md)"), "the README points to the reference");
    }

    @Test
    void everyOptionOfEveryCommandIsInItsSection() {
        String md = CliReference.markdown();
        for (CommandLine c : CliReference.commands()) {
            String name = c.getCommandSpec().qualifiedName();
            int start = md.indexOf("\n## " + name + "\n");
            assertTrue(start >= 0, name);
            int end = md.indexOf("\n## ", start + 4);
            String section = md.substring(start, end < 0 ? md.length() : end);
            for (OptionSpec o : c.getCommandSpec().options()) {
                String longest = o.longestName();
                String shown = o.negatable() ? longest.replaceFirst("^--", "--[no-]") : longest;
                if (o.hidden()) {
                    // set by a launcher (train's --rank for its workers), not typed: left out
                    assertTrue(!section.contains("`" + shown + " ") && !section.contains("`" + shown + "`"), name + ": hidden " + longest);
                    continue;
                }
                assertTrue(section.contains("`" + shown) || section.contains(", " + shown), name + ": " + longest);
                if (o.defaultValue() != null) assertTrue(section.contains("`" + o.defaultValue() + "`"), name + " " + longest + " default");
            }
        }
    }

    @Test
    void readmeNamesOnlyOptionsThatExist() throws IOException {
        String readme = Files.readString(root().resolve("README.md"), StandardCharsets.UTF_8);
        String section = readme.substring(readme.indexOf("## The command line"), readme.indexOf("## The library"));
        Set<String> known = new HashSet<>();
        for (CommandLine c : CliReference.commands()) {
            for (OptionSpec o : c.getCommandSpec().options()) {
                for (String n : o.names()) {
                    known.add(n);
                    if (o.negatable()) known.add(n.replaceFirst("^--", "--no-"));
                }
            }
        }
        // a name in single quotes is an error message's echo of a typo ("unknown option '--epoch'")
        Matcher m = Pattern.compile("(?<![\\w'-])--[a-z][a-z0-9-]*").matcher(section);
        while (m.find()) assertTrue(known.contains(m.group()), "README.md names " + m.group() + ", which no command has");
    }
}
