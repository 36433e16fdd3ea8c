@NullMarked
package com.relaycrm.platform.security;

import org.jspecify.annotations.NullMarked;
