package io.rollforward.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Bad input gets a clear error, never a crash: thousands of mangled copies of the full file
 * (characters deleted, duplicated or replaced, lines swapped) each either load or fail with a
 * {@link ConfigException} whose every error is located. The seed is fixed so a failure repeats.
 */
class MangledInputTest {
    private static final int COPIES = 1000;
    private static final String ALPHABET = " :-[]{},#&*!|>'\"\n\t0123456789abcxyz.%@/\\~";

    @Test
    void mangledFilesNeverCrashTheLoader() {
        Random random = new Random(20261123L);
        int rejected = 0;
        for (int i = 0; i < COPIES; i++) {
            String text = mangle(ConfigLoaderTest.FULL, random);
            try {
                ConfigLoader.parse(text, "m.yaml");
            } catch (ConfigException e) {
                rejected++;
                assertThat(e.errors()).isNotEmpty();
                assertThat(e.errors()).allSatisfy(error -> {
                    assertThat(error.file()).isEqualTo("m.yaml");
                    assertThat(error.line()).isBetween(1, (int) text.lines().count() + 1);
                    assertThat(error.column()).isPositive();
                });
            } catch (RuntimeException e) {
                fail("copy " + i + " crashed the loader:\n" + text, e);
            }
        }
        // Most copies are broken; a few mangles land in comments or strings and still load.
        assertThat(rejected).isGreaterThan(COPIES / 2);
    }

    private static String mangle(String text, Random random) {
        StringBuilder out = new StringBuilder(text);
        int edits = 1 + random.nextInt(4);
        for (int e = 0; e < edits; e++) {
            int at = random.nextInt(out.length());
            switch (random.nextInt(4)) {
                case 0 -> out.deleteCharAt(at);
                case 1 -> out.insert(at, out.charAt(at));
                case 2 -> out.setCharAt(at, ALPHABET.charAt(random.nextInt(ALPHABET.length())));
                default -> {
                    String[] lines = out.toString().split("\n", -1);
                    int a = random.nextInt(lines.length);
                    int b = random.nextInt(lines.length);
                    String swap = lines[a];
                    lines[a] = lines[b];
                    lines[b] = swap;
                    out = new StringBuilder(String.join("\n", lines));
                }
            }
        }
        return out.toString();
    }
}
