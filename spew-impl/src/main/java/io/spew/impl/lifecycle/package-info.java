/** Starting and closing the engine's services in order. */
package io.spew.impl.lifecycle;
