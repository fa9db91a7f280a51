/** The {@code jgroups} cluster transport (to come: only its factory and probe exist). */
package io.spew.distrib.jgroups;
