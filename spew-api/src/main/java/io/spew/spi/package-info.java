/** Types shared by Spew's extension points. */
package io.spew.spi;
