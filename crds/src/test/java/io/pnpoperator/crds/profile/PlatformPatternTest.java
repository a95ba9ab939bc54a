package io.pnpoperator.crds.profile;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class PlatformPatternTest {

    @Test
    void wildcardsStandForAnyCharactersOrOneAndCaseDoesNotMatter() {
        assertThat(PlatformPattern.matches("C1111-*", "C1111-8P")).isTrue();
        assertThat(PlatformPattern.matches("C1111-*", "C1111X-8P")).isFalse();
        assertThat(PlatformPattern.matches("c11?1-8p", "C1121-8P")).isTrue();
        assertThat(PlatformPattern.matches("ISR4331/K9", "ISR4331/K9")).isTrue();
        assertThat(PlatformPattern.matches("C8200.*", "C8200-1N-4T")).as("a dot is a dot").isFalse();
        assertThat(PlatformPattern.matches("C8200-*", null)).isFalse();
    }

    @Test
    void rulesThatSomeRouterCouldMeetOverlap() {
        ProfileMatch isr1k = new ProfileMatch(List.of("C11*"), null, null);
        assertThat(isr1k.overlaps(new ProfileMatch(List.of("C1131-*"), null, null))).isTrue();
        assertThat(isr1k.overlaps(new ProfileMatch(List.of("C8200-*"), null, null))).isFalse();
        assertThat(isr1k.overlaps(new ProfileMatch(null, List.of("FGL25*"), null))).as("all platforms").isTrue();
        assertThat(new ProfileMatch(List.of("C1111-8P"), List.of("FGL1*"), null)
                .overlaps(new ProfileMatch(List.of("C1111-*"), List.of("FGL2*"), null))).as("serials apart").isFalse();
    }

    @Test
    void imagesByPlatformAreCheckedLikeTheImageAndNeedPatterns() {
        PnpProfileSpec spec = new PnpProfileSpec(null, null, List.of(
                new PlatformImage(List.of(), new Image("c8000be.bin", "17.12.04", null, null, null)),
                new PlatformImage(List.of("C8300 *"), new Image("../x.bin", "", "ABC", null, null))),
                null, null, null, null, null, new ProfileMatch(List.of("C11*"), List.of("FGL 1"), 5), null, null);

        assertThat(SpecCheck.problems(spec)).containsExactly(
                "spec.images[0].platforms needs at least one PID pattern, e.g. C1111-*",
                "spec.images[1].platforms 'C8300 *' is not a pattern of letters, digits, -._/+ and the wildcards * and ?",
                "spec.images[1].image.file '../x.bin' must be a plain file name, without folders",
                "spec.images[1].image.version is required: devices already on it skip the upgrade",
                "spec.images[1].image.md5 'ABC' is not 32 lower-case hex digits: give the image's MD5, or leave it "
                        + "empty to have it computed",
                "spec.match.serials 'FGL 1' is not a pattern of letters, digits, -._/+ and the wildcards * and ?");
    }

    @Test
    void theHighestPriorityMatchingWinsAndATieAtTheTopNamesBoth() {
        List<MatchRules.Rule> rules = List.of(
                new MatchRules.Rule("isr1k", new ProfileMatch(List.of("C11*"), null, null)),
                new MatchRules.Rule("c8200", new ProfileMatch(List.of("C8200-*"), null, null)),
                new MatchRules.Rule("pilot", new ProfileMatch(List.of("C1131-*"), List.of("FGL25*"), 10)),
                new MatchRules.Rule("lab", new ProfileMatch(List.of("C1111-*"), null, null)));

        assertThat(MatchRules.choose(rules, "C1131-8PWB", "FGL2548L0AW").profile()).contains("pilot");
        assertThat(MatchRules.choose(rules, "C1131-8PWB", "FGL1111AAAA").profile()).contains("isr1k");
        assertThat(MatchRules.choose(rules, "C8200-1N-4T", "FDO1").profile()).contains("c8200");
        assertThat(MatchRules.choose(rules, "ISR4331/K9", "FDO2").profile()).isEmpty();
        assertThat(MatchRules.choose(rules, "C1111-8P", "FGL3").tie()).contains("isr1k and lab");

        assertThat(MatchRules.conflicts(rules.get(3), rules)).containsExactly("isr1k");
        assertThat(MatchRules.conflicts(rules.get(2), rules)).as("a higher priority decides").isEmpty();
        assertThat(MatchRules.conflicts(rules.get(1), rules)).isEmpty();
    }
}
