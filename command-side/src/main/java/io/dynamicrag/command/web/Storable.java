package io.dynamicrag.command.web;

import jakarta.validation.Constraint;
import jakarta.validation.ConstraintValidator;
import jakarta.validation.ConstraintValidatorContext;
import jakarta.validation.Payload;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/** A request field whose text must be storable ({@link StorableText}): a 400 naming the field otherwise. */
@Target({ElementType.FIELD, ElementType.PARAMETER, ElementType.RECORD_COMPONENT})
@Retention(RetentionPolicy.RUNTIME)
@Constraint(validatedBy = Storable.Validator.class)
public @interface Storable {

    String message() default "must not contain the NUL character (U+0000) or an unpaired UTF-16 surrogate";

    Class<?>[] groups() default {};

    Class<? extends Payload>[] payload() default {};

    class Validator implements ConstraintValidator<Storable, String> {

        @Override
        public boolean isValid(String value, ConstraintValidatorContext context) {
            return StorableText.problem(value).isEmpty();
        }
    }
}
