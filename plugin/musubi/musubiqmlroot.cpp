// Copyright (C) 2026 The Musubi for Qt authors.
// SPDX-License-Identifier: MIT
#include "musubiqmlroot.h"

#include "musubiqmlconnection.h"

#include <QtCore/QTimer>

MusubiQmlRoot::MusubiQmlRoot(QObject *parent)
    : MusubiRoot(parent)
{
    // A real 0 ms timer, not QTimer::singleShot(0) (a posted call): the
    // runtime tears a released mount down from its own 0 ms timer, and ours
    // must fire after it (timers of equal deadline fire in start order).
    m_updateTimer.setSingleShot(true);
    m_updateTimer.setInterval(0);
    connect(&m_updateTimer, &QTimer::timeout, this, [this] {
        m_updateQueued = false;
        update();
    });
    const auto identityChanged = [this] {
        scheduleUpdate(true);
    };
    connect(this, &MusubiRoot::moduleChanged, this, identityChanged);
    connect(this, &MusubiRoot::instanceIdChanged, this, identityChanged);
    connect(this, &MusubiRoot::paramsChanged, this, identityChanged);
    connect(this, &MusubiRoot::connectionChanged, this, [this] {
        trackConnection();
        scheduleUpdate(true);
    });
}

// ~MusubiRoot() releases the hold, so the server sees the unmount.
MusubiQmlRoot::~MusubiQmlRoot() = default;

void MusubiQmlRoot::setActive(bool active)
{
    if (m_active == active)
        return;
    m_active = active;
    Q_EMIT activeChanged();
    scheduleUpdate(false);
}

void MusubiQmlRoot::classBegin() { }

void MusubiQmlRoot::componentComplete()
{
    m_complete = true;
    // Mount right away rather than on the next turn: the properties are final.
    update();
}

void MusubiQmlRoot::pushEvent(const QJsonArray &storeId, const QString &name,
                              const QJsonValue &payload)
{
    Q_EMIT event(storeId, name, payload);
}

bool MusubiQmlRoot::shouldBeMounted() const
{
    if (!m_complete || !m_active || !connection() || module().isEmpty() || instanceId().isEmpty())
        return false;
    if (const auto *qmlConnection = qobject_cast<const MusubiQmlConnection *>(connection()))
        return qmlConnection->isUsable();
    return true;
}

void MusubiQmlRoot::scheduleUpdate(bool remount)
{
    if (!m_complete)
        return;
    m_remount = m_remount || remount;
    if (m_updateQueued)
        return;
    // Bindings often change several identity properties in one go (module and
    // instanceId together); coalesce them into a single remount.
    m_updateQueued = true;
    m_updateTimer.start();
}

void MusubiQmlRoot::update()
{
    const bool remount = std::exchange(m_remount, false);
    if (!shouldBeMounted()) {
        if (isMounted())
            unmount();
        return;
    }
    if (isMounted() && remount) {
        unmount();
        // The runtime keeps a released mount alive until the end of this
        // event-loop turn (so a re-created delegate keeps its mount); a mount
        // with the new identity or params must come after that teardown, or
        // it would join the old mount and keep the old params.
        scheduleUpdate(false);
        return;
    }
    if (!isMounted())
        mount();
}

void MusubiQmlRoot::trackConnection()
{
    disconnect(m_connectionUsable);
    if (auto *qmlConnection = qobject_cast<MusubiQmlConnection *>(connection())) {
        m_connectionUsable = connect(qmlConnection, &MusubiQmlConnection::usableChanged, this,
                                     [this] { scheduleUpdate(false); });
    }
}
