/** The Spew facade, its errors and small shared types. Depends on the JDK only. */
package io.spew;
