package io.pnpoperator.crds.profile;

import java.util.Locale;
import java.util.regex.Pattern;

/**
 * A pattern of product IDs (the PID of a router's UDI, e.g. {@code C1131-8PWB}) as people write them in profiles:
 * {@code *} stands for any characters, {@code ?} for one, anything else for itself, upper or lower case alike.
 * {@code C1111-*} matches every C1111 model; {@code C11?1-8P} the C1111-8P and C1121-8P.
 */
public final class PlatformPattern {

    /** What a pattern may contain: the characters of Cisco PIDs, and the two wildcards. */
    public static final String SYNTAX = "^[A-Za-z0-9*?._/+-]{1,64}$";

    private PlatformPattern() {
    }

    public static boolean matches(String pattern, String pid) {
        return pid != null && regex(pattern).matcher(pid.toUpperCase(Locale.ROOT)).matches();
    }

    /**
     * Whether some PID could match both patterns: one matches the other read literally, or both have wildcards and
     * their literal beginnings agree as far as the shorter goes (cautious: it may say yes where no PID fits both).
     */
    public static boolean mayMeet(String a, String b) {
        if (matches(a, b) || matches(b, a)) {
            return true;
        }
        String prefixA = literalPrefix(a);
        String prefixB = literalPrefix(b);
        boolean wild = prefixA.length() < a.length() && prefixB.length() < b.length();
        return wild && (prefixA.startsWith(prefixB) || prefixB.startsWith(prefixA));
    }

    private static String literalPrefix(String pattern) {
        String upper = pattern.toUpperCase(Locale.ROOT);
        int wildcard = upper.replace('?', '*').indexOf('*');
        return wildcard < 0 ? upper : upper.substring(0, wildcard);
    }

    private static Pattern regex(String pattern) {
        StringBuilder regex = new StringBuilder();
        for (char c : pattern.toUpperCase(Locale.ROOT).toCharArray()) {
            regex.append(switch (c) {
                case '*' -> ".*";
                case '?' -> ".";
                default -> Pattern.quote(String.valueOf(c));
            });
        }
        return Pattern.compile(regex.toString());
    }
}
