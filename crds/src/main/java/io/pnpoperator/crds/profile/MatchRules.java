package io.pnpoperator.crds.profile;

import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * The profiles' {@code spec.match} rules taken together: which profile a router that names none gets, and which
 * rules conflict. The endpoint chooses with them; the operator reports conflicts on the profiles; the standalone
 * server refuses to start on one.
 */
public final class MatchRules {

    /** A profile's name and its rule. */
    public record Rule(String profile, ProfileMatch match) {
    }

    /** What the rules say of one router: the profile they give it, if any, or the two they cannot decide between. */
    public record Choice(Optional<String> profile, Optional<String> tie) {

        static Choice none() {
            return new Choice(Optional.empty(), Optional.empty());
        }
    }

    private MatchRules() {
    }

    /** The profile of the highest priority whose rule matches the router; a tie at the top names both. */
    public static Choice choose(List<Rule> rules, String pid, String serial) {
        List<Rule> matching = rules.stream().filter(r -> r.match() != null && r.match().matches(pid, serial))
                .sorted(Comparator.comparingInt((Rule r) -> -r.match().rank()).thenComparing(Rule::profile)).toList();
        if (matching.isEmpty()) {
            return Choice.none();
        }
        Rule best = matching.get(0);
        boolean tie = matching.size() > 1 && matching.get(1).match().rank() == best.match().rank();
        return tie ? new Choice(Optional.empty(), Optional.of(best.profile() + " and " + matching.get(1).profile()))
                : new Choice(Optional.of(best.profile()), Optional.empty());
    }

    /** The other profiles whose rules some router could meet together with {@code rule}'s at the same priority. */
    public static List<String> conflicts(Rule rule, List<Rule> others) {
        if (rule.match() == null) {
            return List.of();
        }
        return others.stream().filter(o -> !o.profile().equals(rule.profile()) && o.match() != null)
                .filter(o -> o.match().rank() == rule.match().rank() && o.match().overlaps(rule.match()))
                .map(Rule::profile).sorted().toList();
    }

    /** The sentence a conflict is reported with, naming both profiles and what to change. */
    public static String conflictMessage(String profile, List<String> others) {
        return "spec.match of " + profile + " and of " + String.join(", ", others) + " can both match one router at "
                + "the same priority: give one of them a higher spec.match.priority, or narrow their platforms or serials";
    }
}
