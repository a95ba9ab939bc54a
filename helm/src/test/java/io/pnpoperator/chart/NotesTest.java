package io.pnpoperator.chart;

import static org.assertj.core.api.Assertions.assertThat;

import com.marcnuri.helm.DryRun;
import com.marcnuri.helm.Helm;
import com.marcnuri.helm.InstallCommand;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** What people read after an install: the NOTES, with the option 43 string and the next commands. */
class NotesTest {

    @Test
    void notesGiveTheOption43StringAndTheNextCommands() {
        assertThat(notes(Map.of())).contains("5A1D;B2;K4;I<address>;J80").contains("kubectl get pnpdevices -n pnp -w")
                .contains("the operator brings them forward to this\n   chart's schema when it starts")
                .contains("an IP address or a host name (AWS gives a name)")
                .contains("kubectl get service -n pnp pnp-pnp-devices -o jsonpath='{.status.loadBalancer.ingress[0].ip}"
                        + "{.status.loadBalancer.ingress[0].hostname}'");
        assertThat(notes(Map.of("crds.upgrade", false))).contains("kubectl apply --server-side --force-conflicts -f crds/");
        assertThat(notes(Map.of("endpoint.service.loadBalancerSourceRanges[0]", "198.51.100.0/24")))
                .contains("Only 198.51.100.0/24 may reach it.");
        assertThat(notes(Map.of("endpoint.service.scheme", "https", "endpoint.service.port", 443)))
                .contains("5A1D;B2;K5;I<address>;J443").contains("terminate TLS in front of the endpoint");
        assertThat(notes(Map.of("endpoint.service.scheme", "https", "endpoint.service.port", 443,
                "endpoint.tls.secretName", "pnp-tls"))).contains("the endpoint presents the certificate of Secret pnp-tls");
    }

    private static String notes(Map<String, Object> values) {
        InstallCommand install = new Helm(Chart.DIR).install().withName(Chart.RELEASE).withNamespace(Chart.NAMESPACE)
                .clientOnly().withDryRunOption(DryRun.CLIENT);
        values.forEach(install::set);
        return install.call().getOutput();
    }
}
