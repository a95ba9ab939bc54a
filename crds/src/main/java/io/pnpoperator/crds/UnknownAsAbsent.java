package io.pnpoperator.crds;

import com.fasterxml.jackson.annotation.JacksonAnnotationsInside;
import com.fasterxml.jackson.annotation.JsonFormat;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;

/**
 * On an enum field of a resource: a value this version does not know — written by a newer release running beside
 * it, under the newer CRD — reads as absent instead of failing the whole resource. The API server keeps the value
 * (readers never write a field they read as absent: status writes send only what they changed), so kubectl shows
 * it, and the newer release carries on with it.
 */
@Retention(RetentionPolicy.RUNTIME)
@JacksonAnnotationsInside
@JsonFormat(with = JsonFormat.Feature.READ_UNKNOWN_ENUM_VALUES_AS_NULL)
public @interface UnknownAsAbsent {
}
