@NullMarked
package com.relaycrm.platform.web;

import org.jspecify.annotations.NullMarked;
