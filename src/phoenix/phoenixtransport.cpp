// Copyright (C) 2026 The Musubi for Qt authors.
// SPDX-License-Identifier: MIT
#include "phoenixtransport.h"

PhoenixTransport::PhoenixTransport(QObject *parent)
    : QObject(parent)
{ }

PhoenixTransport::~PhoenixTransport() = default;

void PhoenixTransport::setSslConfiguration(const QSslConfiguration &) { }

void PhoenixTransport::setMaxIncomingMessageSize(qint64) { }
