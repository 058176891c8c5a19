package dev.mellon.migrator.web;

import com.fasterxml.jackson.annotation.JsonAnySetter;
import com.fasterxml.jackson.annotation.JsonIgnore;

import java.util.ArrayList;
import java.util.List;

/**
 * A request body that refuses fields it does not know, naming the first one and the fields it has: a typo such as
 * {@code "dryrun"} must not silently run the real thing.
 */
public abstract class StrictBody {

    @JsonIgnore
    private final List<String> unknownFields = new ArrayList<>();

    @JsonAnySetter
    public void unknown(String name, Object value) {
        unknownFields.add(name);
    }

    /** @param fieldNames the fields this body has, for the message */
    public void refuseUnknownFields(String fieldNames) {
        refuseUnknownFields("", fieldNames);
    }

    /** @param prefix where this body sits in the request, e.g. {@code "from."} or {@code "renames[0]."} */
    public void refuseUnknownFields(String prefix, String fieldNames) {
        if (!unknownFields.isEmpty()) {
            throw new InvalidRequestException(prefix + unknownFields.get(0), "Unknown field \"" + prefix + unknownFields.get(0)
                    + "\"; the fields are " + fieldNames);
        }
    }
}
