/** Instances: creation, lifecycle, adoption after a restart, and their files. */
package io.spew.impl.instance;
