/** The {@code nspawn} runtime (to come: only its factory and probe exist). */
package io.spew.runtime.nspawn;
