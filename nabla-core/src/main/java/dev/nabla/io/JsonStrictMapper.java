package dev.nabla.io;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerationException;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.util.JsonGeneratorDelegate;
import com.fasterxml.jackson.databind.BeanDescription;
import com.fasterxml.jackson.databind.DeserializationConfig;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.deser.BeanDeserializerModifier;
import com.fasterxml.jackson.databind.deser.std.DelegatingDeserializer;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.type.ArrayType;
import com.fasterxml.jackson.databind.type.LogicalType;

import java.io.IOException;
import java.util.Arrays;

import static dev.nabla.io.Json.MAX_DEPTH;

/**
 * The shared strict {@link ObjectMapper} behind {@link Json#mapper()} (its rules are in that method's comment).
 * Built when this class is first used: parse and write need only jackson-core, and databind's classes take a while
 * to load.
 */
final class JsonStrictMapper {

    static final ObjectMapper MAPPER = strictMapper();

    private JsonStrictMapper() {
    }

    private static ObjectMapper strictMapper() {
        SimpleModule finite = new SimpleModule("nabla-finite-numbers");
        finite.setDeserializerModifier(new FiniteNumbers());
        JsonFactory factory = JsonFactories.builder(MAX_DEPTH, true)
                .addDecorator((f, g) -> new FiniteNumberGenerator(g))
                .build();
        return JsonMapper.builder(factory)
                .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
                .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
                .enable(DeserializationFeature.FAIL_ON_NUMBERS_FOR_ENUMS)
                .enable(DeserializationFeature.FAIL_ON_READING_DUP_TREE_KEY)
                .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
                .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
                .withCoercionConfig(LogicalType.Textual, c -> c
                        .setCoercion(CoercionInputShape.Integer, CoercionAction.Fail)
                        .setCoercion(CoercionInputShape.Float, CoercionAction.Fail)
                        .setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail))
                .withCoercionConfig(LogicalType.Boolean, c -> c
                        .setCoercion(CoercionInputShape.Integer, CoercionAction.Fail)
                        .setCoercion(CoercionInputShape.String, CoercionAction.Fail))
                .withCoercionConfig(LogicalType.Float, c -> c.setCoercion(CoercionInputShape.String, CoercionAction.Fail))
                .withCoercionConfig(LogicalType.Integer, c -> c.setCoercion(CoercionInputShape.String, CoercionAction.Fail))
                .addModule(finite)
                .build();
    }

    /** Wraps the deserializers of double, float (boxed too) and their arrays in a check that the value is finite. */
    private static final class FiniteNumbers extends BeanDeserializerModifier {
        private static final long serialVersionUID = 1L;

        @Override
        public JsonDeserializer<?> modifyDeserializer(DeserializationConfig config, BeanDescription description,
                                                      JsonDeserializer<?> deserializer) {
            Class<?> t = description.getBeanClass();
            boolean floating = t == double.class || t == Double.class || t == float.class || t == Float.class;
            return floating ? new FiniteDeserializer(deserializer) : deserializer;
        }

        @Override
        public JsonDeserializer<?> modifyArrayDeserializer(DeserializationConfig config, ArrayType type,
                                                           BeanDescription description, JsonDeserializer<?> deserializer) {
            Class<?> t = type.getRawClass();
            return t == double[].class || t == float[].class ? new FiniteDeserializer(deserializer) : deserializer;
        }
    }

    private static final class FiniteDeserializer extends DelegatingDeserializer {
        private static final long serialVersionUID = 1L;

        FiniteDeserializer(JsonDeserializer<?> delegate) {
            super(delegate);
        }

        @Override
        protected JsonDeserializer<?> newDelegatingInstance(JsonDeserializer<?> delegate) {
            return new FiniteDeserializer(delegate);
        }

        @Override
        public Object deserialize(JsonParser p, DeserializationContext context) throws IOException {
            Object v = super.deserialize(p, context);
            boolean finite = switch (v) {
                case Double d -> Double.isFinite(d);
                case Float f -> Float.isFinite(f);
                case double[] a -> allFinite(a);
                case float[] a -> allFinite(a);
                case null, default -> true;
            };
            if (!finite) {
                throw InvalidFormatException.from(p, "not a finite number: " + describeNonFinite(v), v, v.getClass());
            }
            return v;
        }

        private static boolean allFinite(double[] a) {
            for (double d : a) if (!Double.isFinite(d)) return false;
            return true;
        }

        private static boolean allFinite(float[] a) {
            for (float f : a) if (!Float.isFinite(f)) return false;
            return true;
        }

        private static String describeNonFinite(Object v) {
            if (v instanceof double[] a) return Arrays.toString(a);
            if (v instanceof float[] a) return Arrays.toString(a);
            return String.valueOf(v);
        }
    }

    /** Refuses to write NaN and infinities, which Jackson would otherwise write as strings ({@code "NaN"}). */
    private static final class FiniteNumberGenerator extends JsonGeneratorDelegate {
        FiniteNumberGenerator(JsonGenerator delegate) {
            super(delegate, false);
        }

        @Override
        public void writeNumber(double v) throws IOException {
            if (!Double.isFinite(v)) throw new JsonGenerationException("JSON cannot represent " + v, this);
            super.writeNumber(v);
        }

        @Override
        public void writeNumber(float v) throws IOException {
            if (!Float.isFinite(v)) throw new JsonGenerationException("JSON cannot represent " + v, this);
            super.writeNumber(v);
        }

        @Override
        public void writeArray(double[] array, int offset, int length) throws IOException {
            for (int i = offset; i < offset + length; i++) {
                if (!Double.isFinite(array[i])) {
                    throw new JsonGenerationException("JSON cannot represent " + array[i], this);
                }
            }
            super.writeArray(array, offset, length);
        }
    }
}
