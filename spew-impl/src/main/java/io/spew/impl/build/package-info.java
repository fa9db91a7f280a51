/** The build store. */
package io.spew.impl.build;
