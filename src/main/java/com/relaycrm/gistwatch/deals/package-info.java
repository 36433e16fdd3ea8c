@NullMarked
package com.relaycrm.gistwatch.deals;

import org.jspecify.annotations.NullMarked;
