@NullMarked
package com.relaycrm.console.web;

import org.jspecify.annotations.NullMarked;
