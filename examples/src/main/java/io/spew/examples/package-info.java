/** Programs that embed Spew. */
package io.spew.examples;
