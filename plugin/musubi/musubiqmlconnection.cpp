// Copyright (C) 2026 The Musubi for Qt authors.
// SPDX-License-Identifier: MIT
#include "musubiqmlconnection.h"

MusubiQmlConnection::MusubiQmlConnection(QObject *parent)
    : MusubiConnection(parent)
{
    // The C++ class reads its settings at open(); a declarative object is
    // expected to follow its bindings, so a live connection reopens.
    const auto reopen = [this] {
        if (!m_wasUsable)
            return;
        close();
        open();
    };
    connect(this, &MusubiConnection::urlChanged, this, reopen);
    connect(this, &MusubiConnection::paramsChanged, this, reopen);
    connect(this, &MusubiConnection::protocolChanged, this, reopen);
    connect(this, &MusubiConnection::baseTopicChanged, this, reopen);
}

MusubiQmlConnection::~MusubiQmlConnection() = default;

void MusubiQmlConnection::setActive(bool active)
{
    if (m_active == active)
        return;
    m_active = active;
    emit activeChanged();
    update();
}

void MusubiQmlConnection::classBegin() { }

void MusubiQmlConnection::componentComplete()
{
    m_complete = true;
    update();
}

void MusubiQmlConnection::update()
{
    const bool usable = isUsable();
    if (usable == m_wasUsable)
        return;
    m_wasUsable = usable;
    // Properties (url, params, protocol) are all set by now: the component is
    // complete, so open() reads their final values.
    if (usable)
        open();
    else
        close();
    emit usableChanged();
}
