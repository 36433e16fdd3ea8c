@NullMarked
package com.relaycrm.messaging.threads;

import org.jspecify.annotations.NullMarked;
