// Copyright (C) 2026 The Musubi for Qt authors.
// SPDX-License-Identifier: MIT
#pragma once

#include <musubiteststore.h>

/*!
    \class DemoCounterStore
    \brief \c Demo.CounterStore: the smallest useful root store.

    State: \c count (the mount param \c count, 0 by default).
    Commands: \c increment \c{{"amount": int}} (1 when omitted; no reply) and
    \c reset (back to 0; no reply).
*/
class DemoCounterStore : public MusubiTestStore
{
    Q_OBJECT

public:
    explicit DemoCounterStore(QObject *parent = nullptr);

    void mount(const QJsonObject &params) override;
};
