/** The build store: import (verify, extract, put in place), create (pack, sign), remove. */
package io.spew.impl.build;
