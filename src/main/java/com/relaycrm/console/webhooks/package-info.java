@NullMarked
package com.relaycrm.console.webhooks;

import org.jspecify.annotations.NullMarked;
