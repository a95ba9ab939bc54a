package io.pnpoperator.endpoint.workflow;

import io.pnpoperator.endpoint.protocol.Service;
import io.pnpoperator.endpoint.protocol.Udi;
import java.time.Instant;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * Everything known about one device: who it is, where it is in the workflow, what it reported, and
 * the exchange in flight. Values only; {@link Workflow} decides every change.
 *
 * @param attempts        failed tries of the current step (or rounds of the guestshell checks)
 * @param pending         the request sent and not yet answered
 * @param lastCorrelator  the correlator of the last response applied: a repeat of it changes nothing
 * @param configToken     the secret in the day-0 config URL, only while the device is in CONFIG_START
 * @param sequence        how many transitions the device has had
 * @param profile         the profile provisioning the device ("" before one is known)
 */
public record Device(String serial, String pid, String vid, String hostname, String ipAddress,
                     Step step, Phase phase, int attempts, Optional<String> lastError,
                     Instant firstSeen, Instant lastContact, Instant stepSince, Optional<Instant> finishedAt,
                     Optional<String> version, Optional<String> image, OptionalLong bootflashFree,
                     Optional<String> guestshell, boolean configApplied, boolean scriptRan,
                     Optional<Pending> pending, Optional<String> lastCorrelator, Optional<String> configToken,
                     long sequence, String profile) {

    /** The full UDI, as the device sends it. */
    public String udi() {
        return "PID:" + pid + ",VID:" + vid + ",SN:" + serial;
    }

    /** A request sent to the device: the correlator it echoes and the service it belongs to. */
    public record Pending(String correlator, Service service) {
    }

    /** A device seen for the first time, at the start of the workflow. */
    public static Device discovered(Udi udi, String hostname, Contact contact) {
        return new Device(udi.serial(), udi.pid(), udi.vid(), hostname, contact.ipAddress(), Step.NEW_DEVICE,
                Phase.PROVISIONING, 0, Optional.empty(), contact.now(), contact.now(), contact.now(),
                Optional.empty(), Optional.empty(), Optional.empty(), OptionalLong.empty(), Optional.empty(),
                false, false, Optional.empty(), Optional.empty(), Optional.empty(), 0, "");
    }

    public Builder toBuilder() {
        return new Builder(this);
    }

    /** Changes a copy of a device a few fields at a time. */
    public static final class Builder {
        private String serial;
        private String pid;
        private String vid;
        private String hostname;
        private String ipAddress;
        private Step step;
        private Phase phase;
        private int attempts;
        private Optional<String> lastError;
        private Instant firstSeen;
        private Instant lastContact;
        private Instant stepSince;
        private Optional<Instant> finishedAt;
        private Optional<String> version;
        private Optional<String> image;
        private OptionalLong bootflashFree;
        private Optional<String> guestshell;
        private boolean configApplied;
        private boolean scriptRan;
        private Optional<Pending> pending;
        private Optional<String> lastCorrelator;
        private Optional<String> configToken;
        private long sequence;
        private String profile;

        private Builder(Device d) {
            serial = d.serial;
            pid = d.pid;
            vid = d.vid;
            hostname = d.hostname;
            ipAddress = d.ipAddress;
            step = d.step;
            phase = d.phase;
            attempts = d.attempts;
            lastError = d.lastError;
            firstSeen = d.firstSeen;
            lastContact = d.lastContact;
            stepSince = d.stepSince;
            finishedAt = d.finishedAt;
            version = d.version;
            image = d.image;
            bootflashFree = d.bootflashFree;
            guestshell = d.guestshell;
            configApplied = d.configApplied;
            scriptRan = d.scriptRan;
            pending = d.pending;
            lastCorrelator = d.lastCorrelator;
            configToken = d.configToken;
            sequence = d.sequence;
            profile = d.profile;
        }

        public Builder profile(String name) {
            profile = name;
            return this;
        }

        public Builder identity(Udi udi, String newHostname) {
            pid = udi.pid().isEmpty() ? pid : udi.pid();
            vid = udi.vid().isEmpty() ? vid : udi.vid();
            hostname = newHostname == null || newHostname.isEmpty() ? hostname : newHostname;
            return this;
        }

        public Builder contact(Contact contact) {
            ipAddress = contact.ipAddress();
            lastContact = contact.now();
            return this;
        }

        public Builder step(Step newStep, Instant now) {
            if (newStep != step) {
                step = newStep;
                stepSince = now;
                if (newStep == Step.FINISHED && finishedAt.isEmpty()) {
                    finishedAt = Optional.of(now);
                }
            }
            return this;
        }

        public Builder phase(Phase newPhase) {
            phase = newPhase;
            return this;
        }

        public Builder attempts(int newAttempts) {
            attempts = newAttempts;
            return this;
        }

        public Builder lastError(Optional<String> error) {
            lastError = error;
            return this;
        }

        public Builder platform(String platformName) {
            pid = platformName.isEmpty() ? pid : platformName;
            return this;
        }

        public Builder running(Optional<String> runningVersion, String imageFile) {
            version = runningVersion.or(() -> version);
            image = imageFile.isEmpty() ? image : Optional.of(imageFile);
            return this;
        }

        public Builder bootflashFree(long bytes) {
            bootflashFree = OptionalLong.of(bytes);
            return this;
        }

        public Builder guestshell(String state) {
            guestshell = Optional.of(state);
            return this;
        }

        public Builder configApplied() {
            configApplied = true;
            return this;
        }

        public Builder scriptRan() {
            scriptRan = true;
            return this;
        }

        public Builder pending(Optional<Pending> newPending) {
            pending = newPending;
            return this;
        }

        public Builder lastCorrelator(String correlator) {
            lastCorrelator = Optional.of(correlator);
            return this;
        }

        public Builder configToken(Optional<String> token) {
            configToken = token;
            return this;
        }

        /** Takes the next transition number. */
        public long nextSequence() {
            return ++sequence;
        }

        public String serial() {
            return serial;
        }

        public Step step() {
            return step;
        }

        public Phase phase() {
            return phase;
        }

        public int attempts() {
            return attempts;
        }

        public Device build() {
            return new Device(serial, pid, vid, hostname, ipAddress, step, phase, attempts, lastError, firstSeen,
                    lastContact, stepSince, finishedAt, version, image, bootflashFree, guestshell, configApplied,
                    scriptRan, pending, lastCorrelator, configToken, sequence, profile);
        }
    }
}
