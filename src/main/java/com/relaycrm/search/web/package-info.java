@NullMarked
package com.relaycrm.search.web;

import org.jspecify.annotations.NullMarked;
