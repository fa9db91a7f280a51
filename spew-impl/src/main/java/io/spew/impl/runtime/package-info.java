/** Discovery and choice of runtimes through ServiceLoader. */
package io.spew.impl.runtime;
