package io.pnpoperator.crds.profile;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import java.util.List;

/**
 * Which routers a profile provisions when nobody named their profile: those whose PID matches one of
 * {@code platforms} (all, when none are given) and whose serial matches one of {@code serials} (all, when none
 * are given). Of the profiles that match a router, the one with the highest priority wins; two matching with the
 * same priority are a mistake the operator reports on both.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public record ProfileMatch(
        @JsonPropertyDescription("PID patterns: * any characters, ? one, e.g. C1111-*, C8300-*") List<String> platforms,
        @JsonPropertyDescription("Serial numbers or patterns (* and ?), e.g. FGL2548L0AW, FGL25*") List<String> serials,
        @JsonPropertyDescription("Higher wins where several profiles match a router (default 0)") Integer priority) {

    /** Whether a router with this PID and serial is one of this profile's. */
    public boolean matches(String pid, String serial) {
        return any(platforms, pid) && any(serials, serial);
    }

    public int rank() {
        return priority == null ? 0 : priority;
    }

    /**
     * Whether some router could match both: their platform lists and their serial lists each overlap (a list
     * left out matches everything). Patterns overlap when one matches the other taken literally, or both have
     * wildcards and share a literal prefix — a cautious reading: two rules that might meet are reported.
     */
    public boolean overlaps(ProfileMatch other) {
        return overlap(platforms, other.platforms) && overlap(serials, other.serials);
    }

    private static boolean any(List<String> patterns, String value) {
        return patterns == null || patterns.isEmpty() || patterns.stream().anyMatch(p -> PlatformPattern.matches(p, value));
    }

    private static boolean overlap(List<String> mine, List<String> theirs) {
        if (mine == null || mine.isEmpty() || theirs == null || theirs.isEmpty()) {
            return true;
        }
        return mine.stream().anyMatch(a -> theirs.stream().anyMatch(b -> PlatformPattern.mayMeet(a, b)));
    }
}
