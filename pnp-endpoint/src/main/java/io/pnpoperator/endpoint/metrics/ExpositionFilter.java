package io.pnpoperator.endpoint.metrics;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.config.MeterFilter;
import io.micrometer.core.instrument.config.MeterFilterReply;
import java.util.Set;

/**
 * Keeps /actuator/prometheus within Prometheus' naming rules, as {@code promtool check metrics} checks
 * them: every metric has help text (its name in words when the library gave none), meters whose names
 * carry abbreviated units are left out ({@code jvm.compilation.time} in ms, {@code process.cpu.time} in
 * ns; {@code process_cpu_usage} remains), so are Tomcat's session meters (the server keeps no sessions),
 * and {@code system.cpu.count} is {@code system_cpus}, a gauge without the {@code _count} suffix that
 * belongs to histograms.
 */
public final class ExpositionFilter implements MeterFilter {

    private static final Set<String> LEFT_OUT = Set.of("jvm.compilation.time", "process.cpu.time");

    @Override
    public MeterFilterReply accept(Meter.Id id) {
        return LEFT_OUT.contains(id.getName()) || id.getName().startsWith("tomcat.sessions")
                ? MeterFilterReply.DENY : MeterFilterReply.NEUTRAL;
    }

    @Override
    public Meter.Id map(Meter.Id id) {
        Meter.Id named = id.getName().equals("system.cpu.count") ? id.withName("system.cpus") : id;
        return described(named);
    }

    /** The meter as it is, or with its name in words as help text when it has none. */
    private static Meter.Id described(Meter.Id id) {
        return id.getDescription() != null && !id.getDescription().isBlank() ? id
                : new Meter.Id(id.getName(), Tags.of(id.getTags()), id.getBaseUnit(), id.getName().replace('.', ' '),
                        id.getType());
    }
}
