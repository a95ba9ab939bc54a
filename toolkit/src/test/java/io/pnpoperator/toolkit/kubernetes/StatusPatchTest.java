package io.pnpoperator.toolkit.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import io.fabric8.zjsonpatch.JsonPatch;
import org.junit.jupiter.api.Test;

class StatusPatchTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private static JsonNode json(String text) throws Exception {
        return JSON.readTree(text.replace('\'', '"'));
    }

    private static ArrayNode changes(JsonNode before, JsonNode after) {
        ArrayNode patch = JSON.createArrayNode();
        StatusPatch.changes(before, after, "/status", patch);
        return patch;
    }

    @Test
    void aTransitionSendsTheNewHistoryEntryAndTheChangedFieldsOnly() throws Exception {
        JsonNode before = json("{'step':'CONFIG_REG','identity':{'pid':'C1111-8P','lastContact':'t1'},"
                + "'history':[{'sequence':1},{'sequence':2}],'lastError':'timeout'}");
        JsonNode after = json("{'step':'CHECK_IMAGE_VER','identity':{'pid':'C1111-8P','lastContact':'t2'},"
                + "'history':[{'sequence':1},{'sequence':2},{'sequence':3}]}");

        assertThat(changes(before, after)).isEqualTo(json("["
                + "{'op':'add','path':'/status/step','value':'CHECK_IMAGE_VER'},"
                + "{'op':'add','path':'/status/identity/lastContact','value':'t2'},"
                + "{'op':'add','path':'/status/history/-','value':{'sequence':3}},"
                + "{'op':'remove','path':'/status/lastError'}]"));
    }

    @Test
    void aListThatIsNotTheOldOneWithEntriesAppendedIsSentWhole() throws Exception {
        JsonNode before = json("{'history':[{'sequence':1},{'sequence':2}],'conditions':[{'type':'Ready','status':'False'}]}");
        JsonNode after = json("{'history':[{'sequence':2},{'sequence':3}],'conditions':[{'type':'Ready','status':'True'}]}");

        assertThat(changes(before, after)).isEqualTo(json("["
                + "{'op':'add','path':'/status/history','value':[{'sequence':2},{'sequence':3}]},"
                + "{'op':'add','path':'/status/conditions','value':[{'type':'Ready','status':'True'}]}]"));
    }

    @Test
    void thePatchAppliedToTheOldStatusGivesTheNewOne() throws Exception {
        JsonNode before = json("{'status':{'a':1,'gone':{'x':1},'nested':{'keep':'k','b':[1,2],'c/d~e':'old'},"
                + "'list':[1]}}");
        JsonNode after = json("{'status':{'a':2,'nested':{'keep':'k','b':[1,2,3,4],'c/d~e':'new','fresh':true},"
                + "'list':[],'added':{'y':2}}}");

        ArrayNode patch = changes(before.get("status"), after.get("status"));

        assertThat(JsonPatch.apply(patch, before)).isEqualTo(after);
        assertThat(changes(after.get("status"), after.get("status"))).as("nothing changed, nothing sent").isEmpty();
    }
}
