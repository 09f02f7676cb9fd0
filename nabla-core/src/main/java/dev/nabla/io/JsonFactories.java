package dev.nabla.io;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonFactoryBuilder;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.StreamWriteConstraints;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.core.json.JsonWriteFeature;

import static dev.nabla.io.Json.MAX_DEPTH;
import static dev.nabla.io.Json.MAX_KEY_LENGTH;
import static dev.nabla.io.Json.MAX_NUMBER_LENGTH;
import static dev.nabla.io.Json.MAX_STRING_LENGTH;

/**
 * The strict Jackson factory settings that {@link Json}'s reader, writer and {@link Json#mapper() mapper} share, so
 * that all three accept and refuse the same text (the rules are listed in {@link Json}'s class comment).
 */
final class JsonFactories {

    /**
     * The factory behind {@link Json#parse} and {@link Json#write}. Its own depth limit is one level above
     * {@link Json#MAX_DEPTH} so that the tree reader's check, which knows the caller's limit and reports where, always
     * fires first; the reader checks duplicate keys itself (with the key's position), so Jackson's detector would only
     * repeat it.
     */
    static final JsonFactory TREE = builder(MAX_DEPTH + 1, false).build();

    private JsonFactories() {
    }

    /**
     * A builder with the strict settings, nesting limited to {@code maxDepth} levels, and Jackson's duplicate-key
     * detection when {@code detectDuplicates} (for the mapper, which has no tree reader to check keys).
     */
    static JsonFactoryBuilder builder(int maxDepth, boolean detectDuplicates) {
        return new JsonFactoryBuilder()
                // spelled out although they are Jackson's defaults: this is the contract of Json's class comment. One
                // feature per call: the varargs disable(first, other...) of jackson-core 2.x *enables* the others
                .disable(JsonReadFeature.ALLOW_JAVA_COMMENTS)
                .disable(JsonReadFeature.ALLOW_YAML_COMMENTS)
                .disable(JsonReadFeature.ALLOW_SINGLE_QUOTES)
                .disable(JsonReadFeature.ALLOW_UNQUOTED_FIELD_NAMES)
                .disable(JsonReadFeature.ALLOW_UNESCAPED_CONTROL_CHARS)
                .disable(JsonReadFeature.ALLOW_BACKSLASH_ESCAPING_ANY_CHARACTER)
                .disable(JsonReadFeature.ALLOW_LEADING_ZEROS_FOR_NUMBERS)
                .disable(JsonReadFeature.ALLOW_LEADING_PLUS_SIGN_FOR_NUMBERS)
                .disable(JsonReadFeature.ALLOW_LEADING_DECIMAL_POINT_FOR_NUMBERS)
                .disable(JsonReadFeature.ALLOW_TRAILING_DECIMAL_POINT_FOR_NUMBERS)
                .disable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
                .disable(JsonReadFeature.ALLOW_MISSING_VALUES)
                .disable(JsonReadFeature.ALLOW_TRAILING_COMMA)
                .configure(StreamReadFeature.STRICT_DUPLICATE_DETECTION, detectDuplicates)
                // hostile text must not be echoed into exception messages
                .disable(StreamReadFeature.INCLUDE_SOURCE_IN_LOCATION)
                .enable(StreamReadFeature.USE_FAST_DOUBLE_PARSER) // correctly rounded, like Double.parseDouble
                // keys of untrusted files must not fill the JVM's string pool
                .disable(JsonFactory.Feature.INTERN_FIELD_NAMES)
                .streamReadConstraints(StreamReadConstraints.builder()
                        .maxNestingDepth(maxDepth)
                        .maxNumberLength(MAX_NUMBER_LENGTH)
                        .maxStringLength(MAX_STRING_LENGTH)
                        .maxNameLength(MAX_KEY_LENGTH)
                        .build())
                .streamWriteConstraints(StreamWriteConstraints.builder().maxNestingDepth(maxDepth).build())
                .enable(JsonWriteFeature.QUOTE_FIELD_NAMES)
                .disable(JsonWriteFeature.ESCAPE_NON_ASCII);
    }
}
