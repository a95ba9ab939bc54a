package io.pnpoperator.endpoint.protocol;

import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** What a device reported in a successful response, by the service it answered. */
public sealed interface Report {

    /** A response that carries nothing beyond success or failure (image install, backoff, ...). */
    record Nothing() implements Report {
    }

    /** A report with a value the endpoint cannot keep (a field over its {@link Limits limit}): a failed try. */
    record Invalid(String problem) implements Report {
    }

    /**
     * device-auth: the challenge signed with the device's SUDI key, and its SUDI certificate.
     *
     * @param challengeResponse the signature, base64
     * @param sudiCertificate   the SUDI certificate, PEM, base64 (as the schema has it)
     * @param encryptionMethod  RSA or ECDSA
     * @param hashingMethod     SHA256 or SHA512
     */
    record DeviceAuth(String challengeResponse, String sudiCertificate, String encryptionMethod,
                      String hashingMethod) implements Report {
    }

    /** cli-config: one result per configuration line. */
    record ConfigResult(List<Line> lines) implements Report {
        public record Line(int number, String command, boolean success, String error) {
        }
    }

    /** cli-exec: the raw CLI output the device received. */
    record ExecOutput(String text) implements Report {
    }

    /** device-info: the running image, the hardware and every file system with its free space. */
    record DeviceInfo(String versionString, String imageFile, String configRegister, String platformName,
                      String boardId, List<FileSystem> fileSystems) implements Report {

        /** A release number such as 17.3.4a, 17.03.04a or 16.12.4: three numbers and an optional letter suffix. */
        private static final Pattern RELEASE =
                Pattern.compile("(?<![\\d.])\\d{1,2}\\.\\d{1,2}\\.\\d{1,2}[a-z]{0,2}(?![\\w.])");
        private static final Pattern VERSION_AFTER_WORD = Pattern.compile("Version\\s+(" + RELEASE.pattern() + ")");

        /**
         * The IOS-XE version in the version string, e.g. {@code 17.3.4a}. Routers send it bare ({@code 17.3.4a},
         * {@code 17.14.1a}) or inside the long banner ({@code Cisco IOS Software [Amsterdam], ... Version
         * 17.3.4a, RELEASE SOFTWARE (fc3)}, {@code Cisco IOS XE Software, Version 17.06.01a}): the number after
         * "Version" wins, else the first release number in the text.
         */
        public Optional<String> runningVersion() {
            Matcher afterWord = VERSION_AFTER_WORD.matcher(versionString);
            if (afterWord.find()) {
                return Optional.of(afterWord.group(1));
            }
            Matcher anywhere = RELEASE.matcher(versionString);
            return anywhere.find() ? Optional.of(anywhere.group()) : Optional.empty();
        }

        public Optional<FileSystem> fileSystem(String name) {
            return fileSystems.stream().filter(fs -> fs.name().equals(name)).findFirst();
        }
    }

    record FileSystem(String name, String type, long size, long freeSpace) {
    }
}
