@NullMarked
package com.relaycrm.console.pipeline;

import org.jspecify.annotations.NullMarked;
