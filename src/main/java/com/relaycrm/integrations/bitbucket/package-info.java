@NullMarked
package com.relaycrm.integrations.bitbucket;

import org.jspecify.annotations.NullMarked;
