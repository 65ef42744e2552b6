package dev.switchboard.security.api;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.core.JsonProcessingException;
import org.springframework.http.HttpInputMessage;
import org.springframework.http.converter.HttpMessageConverter;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.http.converter.json.MappingJackson2HttpMessageConverter;
import org.springframework.web.bind.WebDataBinder;
import org.springframework.web.bind.annotation.ControllerAdvice;
import org.springframework.web.bind.annotation.InitBinder;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

import java.beans.PropertyEditorSupport;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.Reader;
import java.lang.reflect.Type;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * Strict input for the controllers. Numbers in paths and parameters ({@code /api/tokens/{id}}, {@code ?page=}) are
 * ASCII digits only: Spring's own conversion takes whatever {@code Long.decode} takes, so {@code ١} (an Arabic-Indic
 * one), {@code +1} and {@code 0x1} all meant 1. (An editor, not a converter: when a converter refuses, Spring falls
 * back to its default number editor.) A {@code @RequestBody} record is read as UTF-8 JSON (no detection of UTF-16),
 * with no unknown fields, no {@code null} in place of the object, nothing after it.
 */
@ControllerAdvice
class StrictInput implements WebMvcConfigurer {
    private static final Pattern LONG = Pattern.compile("[0-9]{1,18}");
    private static final Pattern INT = Pattern.compile("[0-9]{1,9}");

    private final ObjectMapper json;

    StrictInput(ObjectMapper json) {
        this.json = json;
    }

    @InitBinder
    void asciiNumbers(WebDataBinder binder) {
        binder.registerCustomEditor(long.class, new AsciiNumber(LONG, Long::valueOf, false));
        binder.registerCustomEditor(Long.class, new AsciiNumber(LONG, Long::valueOf, true));
        binder.registerCustomEditor(int.class, new AsciiNumber(INT, Integer::valueOf, false));
        binder.registerCustomEditor(Integer.class, new AsciiNumber(INT, Integer::valueOf, true));
    }

    /** A whole number in ASCII digits, nothing else (no sign, no spaces, no other script's digits, no hex). */
    private static final class AsciiNumber extends PropertyEditorSupport {
        private final Pattern digits;
        private final Function<String, Number> parse;
        private final boolean emptyIsNull;

        AsciiNumber(Pattern digits, Function<String, Number> parse, boolean emptyIsNull) {
            this.digits = digits;
            this.parse = parse;
            this.emptyIsNull = emptyIsNull;
        }

        @Override
        public void setAsText(String text) {
            if (emptyIsNull && (text == null || text.isEmpty())) {
                setValue(null);
            } else if (text != null && digits.matcher(text).matches()) {
                setValue(parse.apply(text));
            } else {
                throw new IllegalArgumentException("not a whole number in ASCII digits");
            }
        }
    }

    @Override
    public void extendMessageConverters(List<HttpMessageConverter<?>> converters) {
        converters.replaceAll(c -> c.getClass() == MappingJackson2HttpMessageConverter.class ? new StrictJsonConverter(json) : c);
    }

    /** A body refused by {@link StrictJsonConverter}, with the message for the caller. */
    static final class Refused extends HttpMessageNotReadableException {
        Refused(String message, HttpInputMessage input) {
            super(message, input);
        }
    }

    /** Spring's JSON converter (Boot's ObjectMapper, writing unchanged), reading strictly. */
    static final class StrictJsonConverter extends MappingJackson2HttpMessageConverter {
        StrictJsonConverter(ObjectMapper json) {
            super(json.copy().enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES,
                    DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES, DeserializationFeature.FAIL_ON_TRAILING_TOKENS));
        }

        @Override
        public Object read(Type type, Class<?> contextClass, HttpInputMessage input) throws IOException {
            JavaType javaType = getJavaType(type, contextClass);
            Object value;
            // A Reader that decodes UTF-8 strictly: from bytes, Jackson would detect and accept UTF-16 and UTF-32.
            try (Reader utf8 = new InputStreamReader(input.getBody(), StandardCharsets.UTF_8.newDecoder())) {
                value = getObjectMapper().readerFor(javaType).readValue(utf8);
            } catch (CharacterCodingException e) {
                throw new Refused("The body is not UTF-8.", input);
            } catch (UnrecognizedPropertyException e) {
                String name = e.getPropertyName() == null ? "?" : e.getPropertyName();
                throw new Refused("Unknown field '" + (name.length() > 40 ? name.substring(0, 40) + "…" : name) + "'.", input);
            } catch (JsonProcessingException e) {
                throw new HttpMessageNotReadableException("JSON parse error: " + e.getOriginalMessage(), e, input);
            }
            if (value == null) throw new Refused("The body must be a JSON object, not null.", input);
            return value;
        }

        @Override
        protected Object readInternal(Class<?> clazz, HttpInputMessage input) throws IOException {
            return read(clazz, null, input);
        }
    }
}
