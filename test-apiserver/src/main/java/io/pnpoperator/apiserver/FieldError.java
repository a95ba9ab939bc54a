package io.pnpoperator.apiserver;

/**
 * One refused field, as the API server words it: {@code status.step: Unsupported value: "BOGUS": supported
 * values: ...}, with the cause reason a client reads from {@code details.causes}.
 */
record FieldError(Reason reason, String field, String detail) {

    enum Reason {
        INVALID("FieldValueInvalid"),
        NOT_SUPPORTED("FieldValueNotSupported"),
        REQUIRED("FieldValueRequired"),
        DUPLICATE("FieldValueDuplicate"),
        TOO_MANY("FieldValueTooMany"),
        TOO_LONG("FieldValueTooLong"),
        FORBIDDEN("FieldValueForbidden");

        private final String apiName;

        Reason(String apiName) {
            this.apiName = apiName;
        }

        String apiName() {
            return apiName;
        }
    }

    /** The cause's message: the field, then what is wrong with it. */
    String message() {
        return field + ": " + detail;
    }
}
