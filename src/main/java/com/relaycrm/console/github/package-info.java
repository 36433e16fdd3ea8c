@NullMarked
package com.relaycrm.console.github;

import org.jspecify.annotations.NullMarked;
