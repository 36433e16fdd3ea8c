@NullMarked
package com.relaycrm.gistwatch.visits;

import org.jspecify.annotations.NullMarked;
