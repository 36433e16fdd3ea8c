@NullMarked
package com.relaycrm.console.inbox;

import org.jspecify.annotations.NullMarked;
