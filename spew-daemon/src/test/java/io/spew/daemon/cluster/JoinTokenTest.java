package io.spew.daemon.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.spew.ErrorCode;
import io.spew.SpewException;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;

class JoinTokenTest {
    private static final String KEY = Base64.getEncoder().encodeToString(new byte[32]);

    @Test
    void aTokenReadsBackWhatItHolds() {
        JoinToken token = new JoinToken(KEY, List.of("10.0.0.1:7800", "10.0.0.2:7801"));

        String text = token.encode();

        assertThat(text).startsWith("spew1.").doesNotContain("\n", " ");
        assertThat(JoinToken.parse("  " + text + "\n")).isEqualTo(token);
    }

    @Test
    void toStringHidesTheKey() {
        assertThat(new JoinToken(KEY, List.of("10.0.0.1:7800")).toString()).doesNotContain(KEY);
    }

    @Test
    void aMistypedTokenIsRefusedWithExitTwo() {
        String text = new JoinToken(KEY, List.of("10.0.0.1:7800")).encode();
        char last = text.charAt(20);
        String mistyped = text.substring(0, 20) + (last == 'A' ? 'B' : 'A') + text.substring(21);

        for (String bad : List.of(mistyped, text.substring(0, text.length() - 3), "spew1.", "hello", "spew2." + text.substring(6),
                "spew1.!!!.###")) {
            assertThatThrownBy(() -> JoinToken.parse(bad))
                    .as(bad)
                    .isInstanceOfSatisfying(SpewException.class, e -> {
                        assertThat(e.code()).isEqualTo(ErrorCode.INVALID_KEY);
                        assertThat(e.code().exitCode()).isEqualTo(2);
                        assertThat(e.getMessage()).contains("join token").doesNotContain("\n");
                    });
        }
    }

    @Test
    void aShortKeyOrBadSeedIsRefused() {
        String shortKey = Base64.getEncoder().encodeToString(new byte[8]);
        assertThatThrownBy(() -> new JoinToken(shortKey, List.of("10.0.0.1:7800")))
                .isInstanceOfSatisfying(SpewException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_KEY));
        assertThatThrownBy(() -> new JoinToken(KEY, List.of("10.0.0.1")))
                .isInstanceOfSatisfying(SpewException.class,
                        e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_ARGUMENT));
    }
}
