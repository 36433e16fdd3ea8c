@NullMarked
package com.relaycrm.platform.ratelimit;

import org.jspecify.annotations.NullMarked;
