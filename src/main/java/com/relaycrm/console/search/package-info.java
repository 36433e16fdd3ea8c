@NullMarked
package com.relaycrm.console.search;

import org.jspecify.annotations.NullMarked;
