@NullMarked
package com.relaycrm.gistwatch.watching;

import org.jspecify.annotations.NullMarked;
