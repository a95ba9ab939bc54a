package io.pnpoperator.endpoint.workflow;

import java.util.Locale;

/** IOS-XE version comparison: {@code 17.06.01a} and {@code 17.6.1a} name the same release. */
final class Versions {

    private Versions() {
    }

    static boolean same(String a, String b) {
        return normalise(a).equals(normalise(b));
    }

    private static String normalise(String version) {
        StringBuilder out = new StringBuilder();
        for (String part : version.trim().toLowerCase(Locale.ROOT).split("\\.")) {
            if (out.length() > 0) {
                out.append('.');
            }
            String stripped = part.replaceFirst("^0+(?=\\d)", "");
            out.append(stripped);
        }
        return out.toString();
    }
}
