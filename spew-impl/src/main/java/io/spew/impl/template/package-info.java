/** {@code ${...}} values, rendered for each instance. */
package io.spew.impl.template;
