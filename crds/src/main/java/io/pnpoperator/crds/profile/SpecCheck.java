package io.pnpoperator.crds.profile;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * What is wrong with a profile spec on its own, before any file is looked at: one message per problem,
 * naming the field and what to give instead. The standalone server refuses to start on the first one;
 * the operator lists them all in the profile's {@code SpecValid} condition. The CRD's schema already
 * refuses most of these in a cluster; this check is what holds where no schema runs (a lab file, an
 * API server that skips validation) and what keeps a file name from leaving its folder.
 */
public final class SpecCheck {

    private static final String MD5 = "[0-9a-f]{32}";
    private static final String CONFIG_REGISTER = "0x[0-9a-fA-F]{1,4}";

    private SpecCheck() {
    }

    public static List<String> problems(PnpProfileSpec spec) {
        List<String> problems = new ArrayList<>();
        if (spec.configRegister() != null && !spec.configRegister().matches(CONFIG_REGISTER)) {
            problems.add("spec.configRegister '" + spec.configRegister() + "' is not a hex value such as 0x2102");
        }
        if (spec.image() != null) {
            image(spec.image(), "spec.image", problems);
        }
        List<PlatformImage> images = spec.images() == null ? List.of() : spec.images();
        for (int i = 0; i < images.size(); i++) {
            String field = "spec.images[" + i + "]";
            PlatformImage entry = images.get(i);
            patterns(entry.platforms(), field + ".platforms", true, problems);
            if (entry.image() == null) {
                problems.add(field + ".image is required: the file and version of those platforms' image");
            } else {
                image(entry.image(), field + ".image", problems);
            }
        }
        if (spec.reappeared() != null && !spec.reappeared().matches("hold|reprovision")) {
            problems.add("spec.reappeared '" + spec.reappeared() + "' must be hold or reprovision");
        }
        if (spec.match() != null) {
            patterns(spec.match().platforms(), "spec.match.platforms", false, problems);
            patterns(spec.match().serials(), "spec.match.serials", false, problems);
        }
        List<ArtifactFile> files = spec.files() == null ? List.of() : spec.files();
        Set<String> names = new HashSet<>();
        for (int i = 0; i < files.size(); i++) {
            ArtifactFile file = files.get(i);
            String field = "spec.files[" + i + "]";
            plainName(file.name(), field + ".name", problems);
            if (file.name() != null && !names.add(file.name())) {
                problems.add(field + ".name '" + file.name() + "' is listed twice");
            }
            if (blank(file.destination()) || !file.destination().matches("[a-z0-9]+:.*")) {
                problems.add(field + ".destination must be a device path such as bootflash: or bootflash:guest-share/");
            }
            url(file.url(), field + ".url", problems);
        }
        if (spec.config() != null) {
            plainName(spec.config().template(), "spec.config.template", problems);
        }
        Guestshell guestshell = spec.guestshell();
        if (guestshell != null && !Boolean.FALSE.equals(guestshell.enabled())) {
            if (guestshell.minFreeBytes() != null && guestshell.minFreeBytes() < 0) {
                problems.add("spec.guestshell.minFreeBytes must not be negative (it is " + guestshell.minFreeBytes()
                        + "): give the bootflash bytes the guestshell needs, or 0 to skip the check");
            }
            listed(guestshell.packageFile(), "spec.guestshell.package", names, problems);
            listed(guestshell.script(), "spec.guestshell.script", names, problems);
        }
        return problems;
    }

    private static void image(Image image, String field, List<String> problems) {
        plainName(image.file(), field + ".file", problems);
        if (blank(image.version())) {
            problems.add(field + ".version is required: devices already on it skip the upgrade");
        }
        if (!blank(image.md5()) && !image.md5().matches(MD5)) {
            problems.add(field + ".md5 '" + image.md5() + "' is not 32 lower-case hex digits: give the image's "
                    + "MD5, or leave it empty to have it computed");
        }
        url(image.url(), field + ".url", problems);
    }

    private static void patterns(List<String> patterns, String field, boolean required, List<String> problems) {
        if (required && (patterns == null || patterns.isEmpty())) {
            problems.add(field + " needs at least one PID pattern, e.g. C1111-*");
            return;
        }
        for (String pattern : patterns == null ? List.<String>of() : patterns) {
            if (pattern == null || !pattern.matches(PlatformPattern.SYNTAX)) {
                problems.add(field + " '" + pattern + "' is not a pattern of letters, digits, -._/+ and the "
                        + "wildcards * and ?");
            }
        }
    }

    private static void plainName(String name, String field, List<String> problems) {
        if (blank(name)) {
            problems.add(field + " is required");
        } else if (!name.matches(ArtifactFile.PLAIN_NAME) || name.contains("..")) {
            problems.add(field + " '" + name + "' must be a plain file name, without folders");
        }
    }

    private static void url(String url, String field, List<String> problems) {
        if (!blank(url) && !url.matches("https?://[^\\s/]+.*")) {
            problems.add(field + " '" + url + "' must be an http:// or https:// URL");
        }
    }

    private static void listed(String name, String field, Set<String> names, List<String> problems) {
        if (!blank(name) && !names.contains(name)) {
            problems.add(field + " '" + name + "' is not listed in spec.files: add it there with its destination");
        }
    }

    private static boolean blank(String text) {
        return text == null || text.isBlank();
    }
}
