@NullMarked
package com.relaycrm.webhooks.subscriptions;

import org.jspecify.annotations.NullMarked;
