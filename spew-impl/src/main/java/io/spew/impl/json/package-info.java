/** The JSON mapping of Spew's records. */
package io.spew.impl.json;
